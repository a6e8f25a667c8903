// The keychain store's old name, kept while other modules still import it: Switchboard no longer uses keytar (see keychain-secret-store.ts).
export { KeychainSecretStore as KeytarSecretStore } from './keychain-secret-store.ts';
