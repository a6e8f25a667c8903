// The tray icon and its menu: state at a glance, open, sign in/out (or cancel a waiting sign-in), servers on/off, copy the endpoint URL, pause, launch at login, quit.
import { clipboard, Menu, nativeImage, Tray } from 'electron';
import type { StatusSummary } from '../../shared/status-summary.ts';

export interface TrayState {
  endpointUrl?: string;
  signedIn: boolean;
  ssoConfigured: boolean;
  /** The same reading of the status as the window's badge (shared/status-summary.ts). */
  summary: StatusSummary;
  /** The company sign-in waits for the person in the browser: the menu offers to cancel it. */
  ssoSigningIn: boolean;
  paused: boolean;
  launchAtLogin: boolean;
  servers: { id: string; title: string; enabled: boolean }[];
}

export interface TrayActions {
  iconFile: string;
  state: () => Promise<TrayState>;
  open: () => void;
  signIn: () => void;
  cancelSignIn: () => void;
  signOut: () => void;
  setServerEnabled: (id: string, enabled: boolean) => void;
  setPaused: (paused: boolean) => void;
  setLaunchAtLogin: (enabled: boolean) => void;
  quit: () => void;
}

/** One line that says how things are: the badge's words, and the first thing to look at. */
export function trayTooltip(state: TrayState): string {
  if (state.paused) return 'Switchboard — paused';
  const first = state.summary.level === 'attention' || state.summary.level === 'problem' ? state.summary.attention[0] : undefined;
  return `Switchboard — ${state.summary.label}${first ? ` (${first})` : ''}`;
}

export function createTray(actions: TrayActions): { tray: Tray; refresh: () => Promise<void> } {
  const tray = new Tray(nativeImage.createFromPath(actions.iconFile).resize({ width: 16, height: 16 }));
  const refresh = async () => {
    const state = await actions.state();
    tray.setToolTip(trayTooltip(state));
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: trayTooltip(state), enabled: false },
        { label: 'Open Switchboard', click: actions.open },
        !state.ssoConfigured
          ? { label: 'No company sign-in configured', enabled: false }
          : state.ssoSigningIn
            ? { label: 'Cancel sign-in', click: actions.cancelSignIn }
            : state.signedIn
              ? { label: 'Sign out', click: actions.signOut }
              : { label: 'Sign in…', click: actions.signIn },
        {
          label: 'Servers',
          submenu: state.servers.length
            ? state.servers.map((server) => ({
                label: server.title,
                type: 'checkbox' as const,
                checked: server.enabled,
                click: () => actions.setServerEnabled(server.id, !server.enabled),
              }))
            : [{ label: 'No servers yet', enabled: false }],
        },
        {
          label: state.endpointUrl ? 'Copy endpoint URL' : 'Endpoint not running',
          enabled: Boolean(state.endpointUrl),
          click: () => state.endpointUrl && clipboard.writeText(state.endpointUrl),
        },
        { label: 'Pause', type: 'checkbox', checked: state.paused, click: () => actions.setPaused(!state.paused) },
        { label: 'Launch at login', type: 'checkbox', checked: state.launchAtLogin, click: () => actions.setLaunchAtLogin(!state.launchAtLogin) },
        { type: 'separator' },
        { label: 'Quit Switchboard', click: actions.quit },
      ]),
    );
  };
  void refresh();
  tray.on('click', actions.open);
  tray.on('right-click', () => void refresh());
  return { tray, refresh };
}
