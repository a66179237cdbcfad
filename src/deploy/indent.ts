/** Text shown under a heading (outputs, the run command's logs): every line indented by two spaces, a final newline kept as it is. */
export function indent(text: string): string {
  return text
    .split('\n')
    .map((l, i, all) => (i === all.length - 1 && l === '' ? '' : `  ${l}`))
    .join('\n');
}
