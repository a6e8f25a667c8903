// The tray icon and its menu: open the window, copy the endpoint URL, quit.
import { clipboard, Menu, nativeImage, Tray } from 'electron';

export interface TrayActions {
  iconFile: string;
  endpointUrl: () => string | undefined;
  open: () => void;
  quit: () => void;
}

export function createTray(actions: TrayActions): Tray {
  const tray = new Tray(nativeImage.createFromPath(actions.iconFile).resize({ width: 16, height: 16 }));
  tray.setToolTip('Switchboard');
  const rebuild = () => {
    const url = actions.endpointUrl();
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Open Switchboard', click: actions.open },
        { label: url ? 'Copy endpoint URL' : 'Endpoint not running', enabled: Boolean(url), click: () => url && clipboard.writeText(url) },
        { type: 'separator' },
        { label: 'Quit Switchboard', click: actions.quit },
      ]),
    );
  };
  rebuild();
  tray.on('click', actions.open);
  tray.on('right-click', rebuild);
  return tray;
}
