/**
 * Why a TLS handshake was refused, from the codes Node and OpenSSL give: the verification error of the party that
 * checked a certificate (X509_V_ERR_* names as Node spells them: CERT_HAS_EXPIRED, UNABLE_TO_VERIFY_LEAF_SIGNATURE,
 * ...), Node's own checks (ERR_TLS_CERT_ALTNAME_INVALID), or a TLS alert the other party sent (ERR_SSL_*_ALERT_*).
 * Pure.
 */

export type Reason =
  | 'accepted'
  | 'server-name-mismatch'
  | 'server-certificate-expired'
  | 'server-certificate-not-yet-valid'
  | 'server-certificate-untrusted'
  | 'server-certificate-purpose'
  | 'client-certificate-required'
  | 'client-certificate-untrusted'
  | 'client-certificate-expired'
  | 'client-certificate-not-yet-valid'
  | 'client-certificate-purpose'
  | 'client-chain-too-long'
  | 'protocol-version'
  | 'handshake-failure'
  | 'connection-closed'
  | 'timeout'
  | 'error';

/** What each reason means, for the table. */
export const REASON_TEXT: Record<Reason, string> = {
  accepted: 'the handshake completed and the callee answered',
  'server-name-mismatch': "the server certificate's names do not cover the host the caller called",
  'server-certificate-expired': 'the server certificate has expired',
  'server-certificate-not-yet-valid': 'the server certificate is not valid yet',
  'server-certificate-untrusted': 'the caller does not trust the issuer of the server certificate',
  'server-certificate-purpose': 'the server certificate does not allow serverAuth',
  'client-certificate-required': 'no client certificate was sent, and the callee requires one',
  'client-certificate-untrusted': 'the callee does not trust the issuer of the client certificate',
  'client-certificate-expired': 'the client certificate has expired',
  'client-certificate-not-yet-valid': 'the client certificate is not valid yet',
  'client-certificate-purpose': 'the client certificate does not allow clientAuth',
  'client-chain-too-long': "the client certificate's chain is longer than the callee's verify depth",
  'protocol-version': 'no TLS version both sides accept',
  'handshake-failure': 'the handshake failed',
  'connection-closed': 'the connection closed before the callee answered',
  timeout: 'no answer in time',
  error: 'an unexpected error',
};

/** OpenSSL verification errors that mean: no path from the certificate to a trusted CA. */
const UNTRUSTED = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'KEYUSAGE_NO_CERTSIGN',
]);

/** A verification error of the certificate one side presented, as the other side saw it. */
function verification(code: string, who: 'server' | 'client'): Reason | undefined {
  if (code === 'CERT_HAS_EXPIRED') return `${who}-certificate-expired`;
  if (code === 'CERT_NOT_YET_VALID') return `${who}-certificate-not-yet-valid`;
  if (code === 'INVALID_PURPOSE') return `${who}-certificate-purpose`;
  if (UNTRUSTED.has(code)) return `${who}-certificate-untrusted`;
  if (code === 'CERT_CHAIN_TOO_LONG') return who === 'client' ? 'client-chain-too-long' : 'server-certificate-untrusted';
  return undefined;
}

/** The callee's verdict on the client certificate (its verification error code, or NO_CLIENT_CERTIFICATE). */
export function reasonOfClientCertificateError(code: string): Reason {
  if (code === 'NO_CLIENT_CERTIFICATE' || code === 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE') return 'client-certificate-required';
  return verification(code, 'client') ?? reasonOfTransportError(code);
}

/** The caller's verdict on the server certificate (its verification error code, or Node's host name check). */
export function reasonOfServerCertificateError(code: string): Reason {
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'server-name-mismatch';
  return verification(code, 'server') ?? reasonOfTransportError(code);
}

/**
 * An error a socket reported: mostly a TLS alert the other side sent (OpenSSL names it in the code), or the
 * connection going away. Alerts about certificates are sent by the party that rejected the other's certificate:
 * the caller receives the callee's alerts about its client certificate.
 */
export function reasonOfTransportError(code: string | undefined): Reason {
  switch (code) {
    case undefined:
      return 'error';
    case 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED':
    case 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE':
      return 'client-certificate-required';
    case 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA':
    case 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE':
    case 'ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR':
      return 'client-certificate-untrusted';
    case 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED':
      return 'client-certificate-expired';
    case 'ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE':
      return 'client-certificate-purpose';
    case 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION':
    case 'ERR_SSL_UNSUPPORTED_PROTOCOL':
    case 'ERR_SSL_NO_PROTOCOLS_AVAILABLE':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'ERR_SSL_VERSION_TOO_LOW':
      return 'protocol-version';
    case 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE':
    case 'ERR_SSL_NO_SHARED_CIPHER':
      return 'handshake-failure';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ERR_STREAM_PREMATURE_CLOSE':
      return 'connection-closed';
    case 'ETIMEDOUT':
      return 'timeout';
    default:
      return code.startsWith('ERR_SSL_') ? 'handshake-failure' : 'error';
  }
}
