/**
 * One line for the issues of a failed zod check, as both sides of the message channel log them: the first few
 * issues, each with its path ("operations.0.op: Invalid input"), and how many more there are.
 */
export function describeIssues(issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[], max = 3): string {
  const shown = issues.slice(0, max).map((i) => {
    const path = i.path.filter((p) => typeof p !== 'symbol').join('.');
    return path ? `${path}: ${i.message}` : i.message;
  });
  const more = issues.length - max;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}
