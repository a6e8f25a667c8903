// A real rsyslogd from Debian for tests: listens on loopback TCP, or TLS (RFC 5425) through its OpenSSL driver, and writes what it receives to a file.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { vi } from 'vitest';

export interface Rsyslog {
  /** The received messages, one per line, in rsyslog's RFC 5424 template. */
  output: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface TlsListener {
  certFile: string;
  keyFile: string;
}

/**
 * rsyslog's TLS listener needs the OpenSSL network stream driver (Debian package rsyslog-openssl). Anonymous client
 * authentication: RFC 5425 servers may accept any client; Switchboard authenticates the server by its certificate.
 */
export async function startRsyslog(dir: string, port: number, tls?: TlsListener): Promise<Rsyslog> {
  const output = join(dir, `received-${port}.log`);
  const config = join(dir, `rsyslog-${port}.conf`);
  await writeFile(
    config,
    [
      tls
        ? `global(workDirectory="${dir}" DefaultNetstreamDriver="ossl" DefaultNetstreamDriverCAFile="${tls.certFile}" DefaultNetstreamDriverCertFile="${tls.certFile}" DefaultNetstreamDriverKeyFile="${tls.keyFile}")`
        : `global(workDirectory="${dir}")`,
      tls ? 'module(load="imtcp" StreamDriver.Name="ossl" StreamDriver.Mode="1" StreamDriver.AuthMode="anon")' : 'module(load="imtcp")',
      `input(type="imtcp" address="127.0.0.1" port="${port}")`,
      `action(type="omfile" file="${output}" template="RSYSLOG_SyslogProtocol23Format")`,
    ].join('\n'),
  );
  const child = spawn('/usr/sbin/rsyslogd', ['-n', '-f', config, '-i', join(dir, `rsyslogd-${port}.pid`)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  // Ready once it accepts connections (a bare TCP connect; rsyslog drops it, TLS or not).
  await vi.waitFor(
    () =>
      new Promise<void>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve();
        });
        socket.once('error', () => reject(new Error(`rsyslogd is not listening yet: ${log}`)));
      }),
    { timeout: 10_000, interval: 100 },
  );
  return {
    output,
    process: child,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** A self-signed certificate for `localhost` and 127.0.0.1 (P-256), made with the openssl command for this test only. */
export async function selfSignedCertificate(dir: string, name: string): Promise<TlsListener> {
  const certFile = join(dir, `${name}-cert.pem`);
  const keyFile = join(dir, `${name}-key.pem`);
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '1',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-subj',
    `/CN=localhost`,
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ]);
  return { certFile, keyFile };
}
