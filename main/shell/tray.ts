// The tray icon and its menu: state at a glance, open, sign in/out, servers on/off, copy the endpoint URL, pause, launch at login, quit.
import { clipboard, Menu, nativeImage, Tray } from 'electron';

export interface TrayState {
  endpointUrl?: string;
  signedIn: boolean;
  ssoConfigured: boolean;
  needsAttention: string[];
  paused: boolean;
  launchAtLogin: boolean;
  servers: { id: string; title: string; enabled: boolean }[];
}

export interface TrayActions {
  iconFile: string;
  state: () => Promise<TrayState>;
  open: () => void;
  signIn: () => void;
  signOut: () => void;
  setServerEnabled: (id: string, enabled: boolean) => void;
  setPaused: (paused: boolean) => void;
  setLaunchAtLogin: (enabled: boolean) => void;
  quit: () => void;
}

/** One line that says how things are: running, needs sign-in, or what is wrong. */
export function trayTooltip(state: TrayState): string {
  if (state.paused) return 'Switchboard — paused';
  if (!state.endpointUrl) return 'Switchboard — not running';
  if (state.ssoConfigured && !state.signedIn) return 'Switchboard — sign-in needed';
  if (state.needsAttention.length) return `Switchboard — ${state.needsAttention.length} problem(s): ${state.needsAttention[0]}`;
  return 'Switchboard — running';
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
        state.ssoConfigured ? (state.signedIn ? { label: 'Sign out', click: actions.signOut } : { label: 'Sign in…', click: actions.signIn }) : { label: 'No company sign-in configured', enabled: false },
        {
          label: 'Servers',
          submenu: state.servers.length
            ? state.servers.map((server) => ({ label: server.title, type: 'checkbox' as const, checked: server.enabled, click: () => actions.setServerEnabled(server.id, !server.enabled) }))
            : [{ label: 'No servers yet', enabled: false }],
        },
        { label: state.endpointUrl ? 'Copy endpoint URL' : 'Endpoint not running', enabled: Boolean(state.endpointUrl), click: () => state.endpointUrl && clipboard.writeText(state.endpointUrl) },
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
