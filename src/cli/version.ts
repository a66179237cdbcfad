/** The program's name and version, from package.json (esbuild inlines only the field used). */
import { version } from '../../package.json';

export const PROGRAM = 'gatewright';
export const VERSION: string = version;
