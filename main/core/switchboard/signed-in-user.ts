// Who is signed in to the company SSO, kept at hand so every audit record can name the person it was made for.
import type { SsoSession } from '../auth/enterprise-sso.ts';

export class SignedInUser {
  readonly #sso: SsoSession | undefined;
  #subject: string | undefined;

  constructor(sso: SsoSession | undefined) {
    this.#sso = sso;
  }

  /** The SSO subject as last read; undefined without an identity provider or before anyone signed in. */
  current(): string | undefined {
    return this.#subject;
  }

  /**
   * Reads the subject again, after a sign-in or when the audit trail opens. In the background: a record must never
   * wait for the keychain, so records made before the read ends carry no user.
   */
  refresh(): void {
    void this.#sso?.subject().then(
      (subject) => (this.#subject = subject),
      () => undefined,
    );
  }
}
