// Settings without a socket: the view of the configuration and the policy, a field changed and applied, a managed field refused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSettingsService, type SettingsService } from '../../../main/core/app/settings.ts';
import { createTestContext, type TestContext } from '../../support/app-test-context.ts';

describe('the settings use cases', () => {
  let context: TestContext;
  let settings: SettingsService;

  beforeEach(async () => {
    context = await createTestContext({ config: { gateway: { port: 4321 } } });
    settings = createSettingsService(context);
  });
  afterEach(() => context.close());

  it('shows the configuration with the company’s catalogs and managed fields', async () => {
    await context.writePolicy({ domains: ['example.com'], locked: ['audit.sinks'] });
    expect(await settings.get()).toMatchObject({
      configPath: context.configPath,
      gateway: { port: 4321 },
      catalogs: ['example.com'],
      locked: ['audit.sinks'],
      audit: { sinksJson: '[]' },
    });
  });

  it('changes a field, records it and restarts on the same port — unless the port itself changed', async () => {
    await settings.update('audit.capture.results', true);
    await settings.update('gateway.port', 5000);
    expect(await settings.get()).toMatchObject({ gateway: { port: 5000 }, audit: { captureResults: true } });
    expect(context.events.map((event) => event.details)).toEqual([{ field: 'audit.capture.results' }, { field: 'gateway.port' }]);
    expect(context.restarts).toEqual([{ keepPort: true }, { keepPort: false }]);
  });

  it('refuses a field the policy manages, and a value the configuration’s schema refuses', async () => {
    await context.writePolicy({ locked: ['audit'] });
    await expect(settings.update('audit.capture.results', true)).rejects.toMatchObject({ code: 'POLICY_DENIED' });
    await context.writePolicy({});
    await expect(settings.update('audit.capture.results', 'yes')).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect(context.restarts).toEqual([]);
  });
});
