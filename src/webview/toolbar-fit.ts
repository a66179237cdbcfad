/**
 * Which of the toolbar's actions fit in one row: the toolbar keeps its actions in their order and moves the ones
 * that do not fit, from the end, into its overflow menu ("…"). The widths are measured in the page (Toolbar.tsx lays
 * every action out once, unseen, in one row) rather than guessed from breakpoints, so a longer label, another font
 * or a zoomed webview still gives one row.
 */

/** Half a pixel of slack for the fractional widths the browser lays out. */
const SLACK = 0.5;

/**
 * How many actions, from the first, stay in the row.
 *
 * @param rights       for each action, where its right edge is when every action is laid out in one row, measured from
 *                     the left edge of the first (so `rights[i]` is the width the first i + 1 actions need, with the
 *                     gaps between them); never decreasing
 * @param room         the width the actions may take when the overflow button is not shown
 * @param roomWithMore the width they may take when it is (room minus the button and its gap)
 */
export function actionsThatFit(rights: readonly number[], room: number, roomWithMore: number): number {
  const all = rights.length;
  if (all === 0 || rights[all - 1]! <= room + SLACK) return all;
  let count = 0;
  while (count < all && rights[count]! <= roomWithMore + SLACK) count++;
  return count;
}
