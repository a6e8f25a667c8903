// Small building blocks every page uses: a page heading with its actions, a message (status or alert), an empty state that
// says what to do next, and state that outlives a page switch (a search, a filter).
import { Alert, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconInfoCircle } from '@tabler/icons-react';
import { useEffect, useState, type ReactNode } from 'react';

export function PageHead({ id, title, description, children }: { id: string; title: string; description?: ReactNode; children?: ReactNode }) {
  return (
    <div className="page-head">
      <div>
        <Title order={2} id={id}>
          {title}
        </Title>
        {description && (
          <Text c="dimmed" size="sm" mt={4} maw={760}>
            {description}
          </Text>
        )}
      </div>
      {children}
    </div>
  );
}

/** A message: `problem` is an alert (read out at once), the others are statuses. */
export function Notice({ kind, children, title, className }: { kind: 'ok' | 'info' | 'problem'; children: ReactNode; title?: string; className?: string }) {
  const Icon = kind === 'problem' ? IconAlertTriangle : kind === 'ok' ? IconCircleCheck : IconInfoCircle;
  return (
    <Alert
      role={kind === 'problem' ? 'alert' : 'status'}
      color={kind === 'problem' ? 'red' : kind === 'ok' ? 'green' : 'blue'}
      icon={<Icon size={18} aria-hidden />}
      title={title}
      className={className}
      my="xs"
    >
      {children}
    </Alert>
  );
}

/** What the page would show, why it is empty, and what to do next. */
export function EmptyState({ icon, title, children, action }: { icon: ReactNode; title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <Paper withBorder p="xl" radius="md" mb="md" className="surface">
      <Stack align="center" gap="xs" ta="center">
        <ThemeIcon size={48} radius="xl" variant="light" aria-hidden>
          {icon}
        </ThemeIcon>
        <Title order={3} size="h4">
          {title}
        </Title>
        <Text c="dimmed" size="sm" maw={560}>
          {children}
        </Text>
        {action}
      </Stack>
    </Paper>
  );
}

/** State kept for the session under a name: a page's search and filters are as the person left them when they come back. */
export function useKeptState<T>(name: string, initial: T): [T, (next: T) => void] {
  const key = `switchboard.ui.${name}`;
  const [value, setValue] = useState<T>(() => {
    try {
      const stored = sessionStorage.getItem(key);
      return stored === null ? initial : (JSON.parse(stored) as T);
    } catch {
      return initial;
    }
  });
  useEffect(() => {
    try {
      sessionStorage.setItem(key, JSON.stringify(value));
    } catch {
      // Storage may be unavailable (a locked-down profile): the state still works for as long as the page is open.
    }
  }, [key, value]);
  return [value, setValue];
}

/** "3 minutes ago", "yesterday": how long ago an ISO time was, in words. */
export function ago(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  if (Math.abs(seconds) < 60) return format.format(-seconds, 'second');
  if (Math.abs(seconds) < 3600) return format.format(-Math.round(seconds / 60), 'minute');
  if (Math.abs(seconds) < 86_400) return format.format(-Math.round(seconds / 3600), 'hour');
  return format.format(-Math.round(seconds / 86_400), 'day');
}
