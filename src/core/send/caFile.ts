// A profile's caFile: the PEM certificates to trust. A file that holds none (DER, a key, a typo'd path
// to some other file) is an error saying so, rather than being ignored and showing up later as
// "certificate not trusted".
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----\r?\n[\s\S]*?-----END CERTIFICATE-----/g;

export function readCaFile(path: string): { pem?: string; error?: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    return { error: `cannot read the CA file "${path}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
  const text = bytes.toString('latin1');
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  const usable = blocks.filter((block) => {
    try {
      new X509Certificate(block);
      return true;
    } catch {
      return false;
    }
  });
  if (usable.length) return { pem: usable.join('\n') + '\n' };
  const looksDer = bytes.length > 0 && bytes[0] === 0x30;
  const what = blocks.length
    ? 'its certificate blocks do not parse'
    : looksDer
      ? 'it looks like a binary (DER) certificate: convert it with `openssl x509 -inform der -in FILE -out FILE.pem`'
      : text.includes('-----BEGIN')
        ? 'it holds PEM data, but no certificate (-----BEGIN CERTIFICATE-----)'
        : 'it holds no -----BEGIN CERTIFICATE----- block';
  return { error: `the CA file "${path}" is not a PEM certificate file: ${what}` };
}
