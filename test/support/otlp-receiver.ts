// A real OTLP/HTTP logs receiver for tests (decodes the JSON payload); it can be taken down and brought back on the same port.
import { createServer, type Server } from 'node:http';

export { freePort } from './free-port.ts';

export async function startOtlpReceiver(port: number): Promise<{ received: Record<string, unknown>[]; close(): Promise<void> }> {
  const received: Record<string, unknown>[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const payload = JSON.parse(body) as { resourceLogs: { scopeLogs: { logRecords: { attributes: { key: string; value: Record<string, unknown> }[] }[] }[] }[] };
      for (const resourceLog of payload.resourceLogs) {
        for (const scopeLog of resourceLog.scopeLogs) {
          for (const logRecord of scopeLog.logRecords) {
            received.push({ ...logRecord, attributes: Object.fromEntries(logRecord.attributes.map(({ key, value }) => [key, Object.values(value)[0]])) });
          }
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return {
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
