// The OS-facing parts of the Electron stand-in, as recorded models: Tray, Menu, nativeImage, clipboard, dialog, shell.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';

/** What the tests read back: every call the shell made to the OS, in order. */
export const records = {
  openedExternally: [] as string[],
  openedPaths: [] as string[],
  errorBoxes: [] as { title: string; content: string }[],
  loginItemSettings: [] as { openAtLogin?: boolean }[],
};

export class NativeImage {
  readonly path: string;
  private readonly size: { width: number; height: number };
  constructor(path: string, size: { width: number; height: number }) {
    this.path = path;
    this.size = size;
  }
  static createFromPath(path: string): NativeImage {
    // A missing file gives an empty image in Electron, not an error; the test can tell by isEmpty().
    return new NativeImage(path, existsSync(path) ? { width: 256, height: 256 } : { width: 0, height: 0 });
  }
  isEmpty(): boolean {
    return this.size.width === 0;
  }
  getSize(): { width: number; height: number } {
    return { ...this.size };
  }
  resize(options: { width?: number; height?: number }): NativeImage {
    if (this.isEmpty()) return this;
    return new NativeImage(this.path, { width: options.width ?? this.size.width, height: options.height ?? this.size.height });
  }
}

export const nativeImage = {
  createFromPath: (path: string) => NativeImage.createFromPath(path),
  createEmpty: () => new NativeImage('', { width: 0, height: 0 }),
};

export interface MenuItemOptions {
  label?: string;
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
  enabled?: boolean;
  checked?: boolean;
  click?: (item: MenuItem, window: unknown, event: unknown) => void;
  submenu?: MenuItemOptions[] | Menu;
}

export class MenuItem {
  readonly label: string;
  readonly type: string;
  readonly enabled: boolean;
  checked: boolean;
  readonly submenu: Menu | undefined;
  readonly #click: MenuItemOptions['click'];

  constructor(options: MenuItemOptions) {
    this.label = options.label ?? '';
    this.submenu = options.submenu instanceof Menu ? options.submenu : options.submenu ? Menu.buildFromTemplate(options.submenu) : undefined;
    this.type = options.type ?? (this.submenu ? 'submenu' : 'normal');
    this.enabled = options.enabled ?? true;
    this.checked = options.checked ?? false;
    this.#click = options.click;
  }

  /** What a person's click does in Electron: nothing when disabled; a checkbox flips before its handler runs. */
  click(): void {
    if (!this.enabled) throw new Error(`menu item "${this.label}" is disabled: a person cannot click it`);
    if (this.type === 'checkbox') this.checked = !this.checked;
    this.#click?.(this, undefined, { triggeredByAccelerator: false });
  }
}

export class Menu {
  readonly items: MenuItem[] = [];
  static buildFromTemplate(template: MenuItemOptions[]): Menu {
    const menu = new Menu();
    for (const entry of template) menu.items.push(new MenuItem(entry));
    return menu;
  }
  /** The item a person would find by its label (a path through submenus: 'Servers', 'Company wiki'). */
  item(...labels: string[]): MenuItem {
    const [first, ...rest] = labels;
    const found = this.items.find((item) => item.label === first);
    if (!found) throw new Error(`no menu item "${first}" in [${this.labels().join(' | ')}]`);
    if (!rest.length) return found;
    if (!found.submenu) throw new Error(`menu item "${first}" has no submenu`);
    return found.submenu.item(...rest);
  }
  labels(): string[] {
    return this.items.filter((item) => item.type !== 'separator').map((item) => item.label);
  }
}

/** A tray icon that draws nothing: its image, tooltip and menu are kept for the test to read and click. */
export class Tray extends EventEmitter {
  static readonly all: Tray[] = [];
  tooltip = '';
  contextMenu: Menu | undefined;
  destroyed = false;
  readonly image: NativeImage;
  constructor(image: NativeImage) {
    super();
    this.image = image;
    Tray.all.push(this);
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: Menu | null): void {
    this.contextMenu = menu ?? undefined;
  }
  setImage(): void {}
  destroy(): void {
    this.destroyed = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

let clipboardText = '';
export const clipboard = {
  writeText: (text: string) => void (clipboardText = text),
  readText: () => clipboardText,
  clear: () => void (clipboardText = ''),
};

export const dialog = {
  showErrorBox: (title: string, content: string) => void records.errorBoxes.push({ title, content }),
  showMessageBox: async () => ({ response: 0, checkboxChecked: false }),
  showOpenDialog: async () => ({ canceled: true, filePaths: [] as string[] }),
  showSaveDialog: async () => ({ canceled: true, filePath: '' }),
};

export const shell = {
  /** Nothing is opened: the URL is recorded, as the system browser would have been given it. */
  openExternal: async (url: string) => void records.openedExternally.push(url),
  /** Nothing is opened either: the path is recorded, and a missing file answers as Electron does, with an error message. */
  openPath: async (path: string) => {
    records.openedPaths.push(path);
    return existsSync(path) ? '' : 'Failed to open path';
  },
  showItemInFolder: () => undefined,
};
