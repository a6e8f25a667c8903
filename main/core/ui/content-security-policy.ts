// The UI's Content-Security-Policy, sent as an HTTP header (by the loopback UI endpoint and the Electron shell's session): only our own bundled code and
// styles, nothing remote. frame-ancestors works only in a header — browsers ignore it in a <meta> tag — so the page's meta carries the rest and this the whole.
export const UI_CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
