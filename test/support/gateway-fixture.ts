// A running `switchboard serve` in front of given upstreams, with one registered client: the setup most integration tests share.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { runCli, startServe, type ServeProcess } from './serve-process.ts';

export interface GatewayFixture {
  serve: ServeProcess;
  workDir: string;
  dataDir: string;
  /** The registered test client's credential. */
  credential: string;
  /** Registers another client and returns its credential. */
  addClient(id: string, extraArgs?: string[]): Promise<string>;
  /** Starts `serve` again on the same configuration and data folder (after a stop or a kill). */
  restart(): Promise<void>;
  /** An SDK v2 client connected to the endpoint with a credential (the fixture's own by default). */
  connect(mode?: 'auto' | 'legacy', credential?: string, options?: ConstructorParameters<typeof Client>[1]): Promise<Client>;
  stop(): Promise<void>;
}

export async function startGatewayFixture(options: {
  servers: { id: string; url: string; prefix?: string; enabled?: boolean }[];
  gateway?: Record<string, unknown>;
  audit?: Record<string, unknown>;
  clientId?: string;
}): Promise<GatewayFixture> {
  const workDir = await mkdtemp(join(tmpdir(), 'switchboard-test-'));
  const dataDir = join(workDir, 'data');
  await writeFile(
    join(workDir, 'config.json'),
    JSON.stringify({ ...(options.gateway ? { gateway: options.gateway } : {}), ...(options.audit ? { audit: options.audit } : {}), servers: options.servers }),
  );
  const addClient = async (id: string, extraArgs: string[] = []) => {
    const result = await runCli(['clients', 'add', id, '--data-dir', dataDir, '--profile', `test-${process.pid}`, '--json', ...extraArgs]);
    if (result.code !== 0) throw new Error(`clients add ${id} failed: ${result.stderr}`);
    return (JSON.parse(result.stdout) as { credential: string }).credential;
  };
  const credential = await addClient(options.clientId ?? 'tester');
  const serveArgs = ['--config', join(workDir, 'config.json'), '--data-dir', dataDir];
  const fixture: GatewayFixture = {
    serve: await startServe(serveArgs),
    workDir,
    dataDir,
    credential,
    addClient,
    async restart() {
      await fixture.serve.stop();
      fixture.serve = await startServe(serveArgs);
    },
    async connect(mode = 'auto', bearer = credential, clientOptions = {}) {
      const client = new Client({ name: 'switchboard-test', version: '1.0.0' }, { versionNegotiation: { mode }, ...clientOptions });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(fixture.serve.ready.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${bearer}` } } }),
      );
      return client;
    },
    stop: async () => {
      await fixture.serve.stop();
    },
  };
  return fixture;
}
