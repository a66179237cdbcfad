/** Design text written into generated Markdown as prose. */

/**
 * Text that may come from the design, as one line of Markdown prose: line breaks (also U+2028, U+2029, NEL)
 * become spaces, so nothing starts a new block (a heading, a list, an HTML block); other control characters are
 * shown as \u escapes; <, > and & become entity references, so no raw HTML (an <img>) is written
 * (https://spec.commonmark.org/0.31.2/#raw-html), and `![` is escaped so that no image is embedded
 * (https://spec.commonmark.org/0.31.2/#backslash-escapes). Code spans in our own notes are kept.
 */
export function prose(text: string): string {
  return text
    .replace(/\r\n|[\r\n\u2028\u2029\u0085]/g, ' ')
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
    .replace(/!\[/g, '!\\[');
}
