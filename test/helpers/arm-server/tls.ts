/**
 * The test Resource Manager's TLS: a CA made at test time and a server certificate for 127.0.0.1 (IP and DNS
 * subject alternative names, and *.vault.localhost for the test Key Vault's data plane) signed by it. The client
 * trusts the CA (tlsOptions.ca in process, NODE_EXTRA_CA_CERTS in a child process); nothing is written to the
 * system's trust store.
 */
import { generateKeys, privateKeyPem, rootCa, x509, RSA_2048 } from '../pki.js';

export interface ServerTls {
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

export async function makeServerTls(): Promise<ServerTls> {
  const lib = await x509();
  const now = new Date();
  const notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  const notAfter = new Date(now.getTime() + 24 * 60 * 60 * 1000);
  const ca = await rootCa('Gatewright test Resource Manager CA', { notBefore, notAfter });
  const key = await generateKeys(RSA_2048);
  const certificate = await lib.X509CertificateGenerator.create({
    serialNumber: '02' + Date.now().toString(16),
    subject: 'CN=127.0.0.1, O=Gatewright Tests',
    issuer: ca.name,
    notBefore,
    notAfter,
    publicKey: key.keys.publicKey,
    signingKey: ca.key.keys.privateKey,
    signingAlgorithm: ca.key.signing,
    extensions: [
      new lib.BasicConstraintsExtension(false, undefined, true),
      new lib.KeyUsagesExtension(lib.KeyUsageFlags.digitalSignature | lib.KeyUsageFlags.keyEncipherment, true),
      new lib.ExtendedKeyUsageExtension([lib.ExtendedKeyUsage.serverAuth], false),
      new lib.SubjectAlternativeNameExtension(
        [
          { type: 'ip', value: '127.0.0.1' },
          { type: 'dns', value: 'localhost' },
          // The test Key Vault's data plane: https://<vault>.vault.localhost:<port>/ (./key-vault.ts).
          { type: 'dns', value: '*.vault.localhost' },
        ],
        false,
      ),
      await lib.AuthorityKeyIdentifierExtension.create(ca.key.keys.publicKey),
    ],
  });
  return { caPem: ca.pem, certPem: certificate.toString('pem'), keyPem: privateKeyPem(key) };
}
