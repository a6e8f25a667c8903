// Switchboard's own name and version as it introduces itself to servers and clients.
export const SWITCHBOARD_VERSION = '0.1.0';
export const SWITCHBOARD_IMPLEMENTATION = { name: 'switchboard', title: 'Switchboard', version: SWITCHBOARD_VERSION } as const;
