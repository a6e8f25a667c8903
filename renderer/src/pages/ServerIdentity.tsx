// A server's card (or registry entry, or company offer) beside what the live server says about itself, with the fields that differ marked.
import { Badge, Code, Spoiler, Table, Text, Title } from '@mantine/core';
import type { ContractResponse } from '../../../shared/contract/schemas.ts';

type Detail = ContractResponse<'servers:detail'>;
type Field = 'name' | 'title' | 'version' | 'description';

const FIELDS: { key: Field; label: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'title', label: 'Title' },
  { key: 'version', label: 'Version' },
  { key: 'description', label: 'Description' },
];

const LISTED_FROM: Record<NonNullable<Detail['listed']>['from'], string> = {
  card: 'Its Server Card',
  registry: 'The MCP Registry',
  company: 'The company’s offer',
};

/**
 * Why show both: a card is published once and read before connecting; the server answers for itself at each
 * connection. A newer version, another name or a changed description is worth a person's look (a card is advisory,
 * never what Switchboard trusts), so the fields that differ carry a badge rather than being merged into one.
 */
export function ServerIdentity({ id, listed, live }: { id: string; listed: Detail['listed']; live: Detail['live'] }) {
  const rows = FIELDS.filter(({ key }) => listed?.[key] || live?.[key]);
  const differing = rows.filter(({ key }) => listed && listed[key] !== undefined && live?.[key] !== undefined && !sameText(listed[key], live[key]));
  return (
    <section aria-label={`How ${id} describes itself`}>
      <Title order={3} size="h5" mb="xs">
        How it describes itself
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        {!listed
          ? 'No card or catalog entry is known for this server: this is what it said about itself when it connected.'
          : !live
            ? 'The server has not said anything about itself yet: this is how it was listed.'
            : differing.length === 0
              ? `${LISTED_FROM[listed.from]} and the live server agree.`
              : `${LISTED_FROM[listed.from]} and the live server differ in ${differing.map(({ label }) => label.toLowerCase()).join(', ')}.`}
      </Text>
      {rows.length > 0 && (
        <Table withTableBorder verticalSpacing={6} fz="sm" layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col" w={110}>
                Field
              </Table.Th>
              {listed && (
                <Table.Th scope="col">
                  {LISTED_FROM[listed.from]}
                  {listed.fetchedAt ? (
                    <Text component="span" size="xs" c="dimmed">
                      {' '}
                      (fetched {new Date(listed.fetchedAt).toLocaleString()})
                    </Text>
                  ) : null}
                </Table.Th>
              )}
              <Table.Th scope="col">Live server</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map(({ key, label }) => (
              <Table.Tr key={key} data-differs={differing.some((field) => field.key === key) || undefined}>
                <Table.Th scope="row">
                  {label}
                  {differing.some((field) => field.key === key) && (
                    <Badge size="xs" color="orange" variant="light" ml={6}>
                      differs
                    </Badge>
                  )}
                </Table.Th>
                {listed && <Table.Td>{shown(key, listed[key])}</Table.Td>}
                <Table.Td>{shown(key, live?.[key])}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {live?.instructions && (
        <>
          <Title order={4} size="h6" mt="sm" mb={4}>
            Instructions it gives AI clients
          </Title>
          <Spoiler maxHeight={72} showLabel="Show all" hideLabel="Show less">
            <Text size="sm" className="preserve-lines">
              {live.instructions}
            </Text>
          </Spoiler>
        </>
      )}
    </section>
  );
}

function shown(key: Field, value: string | undefined) {
  if (value === undefined)
    return (
      <Text component="span" size="sm" c="dimmed">
        not given
      </Text>
    );
  return key === 'name' || key === 'version' ? <Code>{value}</Code> : value;
}

/** Whitespace differences are not differences a person would care about. */
function sameText(a: string | undefined, b: string | undefined): boolean {
  return (a ?? '').replace(/\s+/g, ' ').trim() === (b ?? '').replace(/\s+/g, ' ').trim();
}
