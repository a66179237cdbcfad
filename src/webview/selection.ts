/** What is selected on the canvas or in a panel: a type of its own, so that the canvas and every panel can name it. */

/** What is selected on the canvas or in a panel; several elements when the user multi-selects. */
export type Selection = { kind: 'node' | 'edge' | 'certificate'; id: string }[];

export type SelectionItem = Selection[number];
