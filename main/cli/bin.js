#!/usr/bin/env node
// The `switchboard` command's entry: checks the Node version (sources run through Node's type stripping), then loads the CLI.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `switchboard needs Node 22.18 or newer (this is ${process.versions.node}). ` +
      'Run it through npm (`npm run switchboard -- <command>`), which uses the Node pinned by the project, or see README.md "Requirements".\n',
  );
  process.exit(1);
}
// A reader that stops early (`switchboard --help | head`) closes the pipe; that is not an error worth a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const { runCli } = await import('./main.ts');
process.exitCode = await runCli(process.argv);
