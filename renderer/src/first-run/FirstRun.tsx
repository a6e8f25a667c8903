// The guided first run: sign in with the company, pick servers, set up the AI clients found here, then see one of them make a tool call.
import { Button, Group, Stepper, Text, Title } from '@mantine/core';
import { IconKey, IconPlayerPlay, IconPlugConnected, IconServer2 } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import { useAppStatus } from '../app-status.ts';
import { invoke } from '../bridge.ts';
import { ClientsPage } from '../pages/ClientsPage.tsx';
import { ServersPage } from '../pages/ServersPage.tsx';
import { SignInPage } from '../pages/SignInPage.tsx';
import { Notice } from '../ui.tsx';
import { useContract } from '../use-contract.ts';
import { TryItStep } from './TryItStep.tsx';

/**
 * Each step is the page that does the job (the same page the sections open), so what the guide teaches is where the
 * person will find it later; the guide only orders them, says why, and ends with proof that a client gets through.
 */
const STEPS = [
  {
    label: 'Sign in',
    description: 'Your company account',
    Icon: IconKey,
    intro: 'Sign in once with your company account: servers that accept it need no sign-in of their own. Skip this if your company has none.',
  },
  {
    label: 'Pick servers',
    description: 'Company and discovered',
    Icon: IconServer2,
    intro: 'Enable the servers you want your AI clients to reach: your company’s offer, or one found by its domain or address.',
  },
  {
    label: 'Set up AI clients',
    description: 'Found on this machine',
    Icon: IconPlugConnected,
    intro: 'Set up the AI clients on this machine to use Switchboard. Each shows what it will add to the client’s file before it writes.',
  },
  { label: 'Try it', description: 'A first tool call', Icon: IconPlayerPlay, intro: 'Ask one of your AI clients to use a tool, and see the call arrive.' },
] as const;

export function FirstRun({ onLeave }: { onLeave: () => void }) {
  const [active, setActive] = useState(0);
  const [called, setCalled] = useState(false);
  const [problem, setProblem] = useState<string>();
  // Calls from this moment on count as the first run's: one an earlier session made proves nothing about today's setup.
  const [since] = useState(() => new Date().toISOString());
  const onCalled = useCallback((value: boolean) => setCalled(value), []);
  // A step is ticked when what it is for is true, not merely because the person went past it.
  const status = useAppStatus();
  const clients = useContract('clients:list');
  const reloadClients = clients.reload;
  // The clients step registers clients through its own page: ask again whenever the person moves on.
  useEffect(() => void reloadClients(), [active, reloadClients]);
  const done = [Boolean(status?.signedIn), (status?.servers.length ?? 0) > 0, (clients.value?.registered.length ?? 0) > 0, called];

  const finish = async (state: 'skipped' | 'done') => {
    setProblem(undefined);
    const answer = await invoke('firstRun:set', { state });
    // Said here, where it can be read; the sections on the left still leave the guide.
    if (answer.ok) onLeave();
    else setProblem(`Switchboard could not remember that the setup is ${state === 'done' ? 'done' : 'skipped'}: ${answer.error.message}`);
  };

  const last = active === STEPS.length - 1;
  const step = STEPS[active]!;
  return (
    <section aria-labelledby="first-run-heading" className="first-run">
      <Group justify="space-between" align="flex-start" mb="md" wrap="wrap">
        <div>
          <Title order={2} id="first-run-heading">
            Set up Switchboard
          </Title>
          <Text c="dimmed" size="sm" mt={4} maw={760}>
            Four steps to your AI clients reaching your company’s servers through one endpoint. Every step can be skipped and done later from the sections on
            the left.
          </Text>
        </div>
        <Button variant="subtle" color="gray" onClick={() => void finish('skipped')}>
          Skip setup
        </Button>
      </Group>
      {problem && <Notice kind="problem">{problem}</Notice>}
      <Stepper active={active} onStepClick={setActive} size="sm" mb="lg" aria-label="Setup steps">
        {STEPS.map(({ label, description, Icon }, index) => (
          <Stepper.Step
            key={label}
            label={label}
            description={index < active && !done[index] ? 'Skipped for now' : description}
            icon={<Icon size={18} aria-hidden />}
            {...(done[index] ? {} : { completedIcon: <Icon size={18} aria-hidden />, color: 'gray' })}
          />
        ))}
      </Stepper>
      <div aria-label={`Step ${active + 1} of ${STEPS.length}: ${step.label}`} role="region">
        <Text mb="md" fw={500}>
          {step.intro}
        </Text>
        {active === 0 && <SignInPage />}
        {active === 1 && <ServersPage />}
        {active === 2 && <ClientsPage />}
        {active === 3 && <TryItStep since={since} onCalled={onCalled} />}
      </div>
      <Group justify="space-between" mt="md" className="first-run-actions">
        <Button variant="default" disabled={active === 0} onClick={() => setActive(active - 1)}>
          Back
        </Button>
        {last ? (
          <Button onClick={() => void finish('done')}>{called ? 'Done' : 'Finish without a call'}</Button>
        ) : (
          <Button onClick={() => setActive(active + 1)}>Next: {STEPS[active + 1]!.label}</Button>
        )}
      </Group>
    </section>
  );
}
