/**
 * The real certificate files a design names (certificate `file`), read with Node's X509Certificate and checked
 * against what the design says: issuer and signature, names, key usage, CA constraint, validity, key type,
 * declared expiry. A file that holds a private key is an error, and nothing of the file is ever echoed.
 * The caller (CLI, extension) reads the files and hands them in (RuleContext.files); a file it did not hand in is
 * not judged. Each file is parsed once per validation (src/x509/files.ts).
 */
import { CERTIFICATE_FILE_READING_RULES } from './certificate-file-reading.js';
import { CERTIFICATE_FILE_CONTENT_RULES } from './certificate-file-contents.js';
import type { Rule } from '../rule.js';

export { EXPIRY_WARNING_DAYS } from './certificate-files-support.js';
export const CERTIFICATE_FILE_RULES: Rule[] = [...CERTIFICATE_FILE_READING_RULES, ...CERTIFICATE_FILE_CONTENT_RULES];
