/**
 * The deployment's parameters in VS Code: the generated ones, the answers saved next to the design
 * (`<design>.parameters.json`, values only, never a secret), and an input box for each one still missing, asked
 * once: the answers are saved to that file for the next deployment (and for `gatewright deploy`, which reads the
 * same file). A file holding something that looks like a secret stops the deployment and is opened for the user.
 */
import { readFile, writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { parametersFileFor, parseAnswer, parseParametersFile, serializeParametersFile } from '../../deploy/parameters.js';
import { prepareDeployment, type PreparedDeployment } from '../../deploy/prepare.js';
import type { GeneratedFile } from '../../generators/generate.js';
import type { Design } from '../../schemas/design.js';
import { errorMessage } from '../../model/error-message.js';

export class ParametersProblem extends Error {
  constructor(
    message: string,
    readonly file: vscode.Uri,
  ) {
    super(message);
  }
}

/** The prepared deployment with every parameter given; undefined when the user cancelled a question. */
export async function resolveParameters(
  designUri: vscode.Uri,
  design: Design,
  generated: readonly GeneratedFile[],
  log: vscode.LogOutputChannel,
): Promise<PreparedDeployment | undefined> {
  const file = vscode.Uri.file(parametersFileFor(designUri.fsPath));
  const shown = vscode.workspace.asRelativePath(file);
  const saved = await readSaved(file, shown);
  let prepared = prepareDeployment(design, generated, saved);
  if (prepared.merged.refused.length) {
    throw new ParametersProblem(
      `${shown} holds what looks like a secret, which Gatewright never stores or sends from a file: ${prepared.merged.refused.map((r) => `"${r.name}" (${r.reason})`).join('; ')}. Remove it from the file.`,
      file,
    );
  }
  for (const name of prepared.merged.unknown) log.info(`deploy: ${shown} gives "${name}", which the template does not declare; it is left out`);
  const missing = prepared.merged.missing;
  if (missing.length === 0) return prepared;

  const answers: Record<string, unknown> = { ...saved };
  for (const [i, p] of missing.entries()) {
    const text = await vscode.window.showInputBox({
      title: `Deploy ${design.metadata.name}: parameter ${i + 1} of ${missing.length}, kept in ${shown} (never a secret)`,
      prompt: `${p.name} (${p.type})${p.description ? `: ${p.description}` : ''}`,
      placeHolder: p.allowedValues ? p.allowedValues.map((v) => JSON.stringify(v)).join(' | ') : undefined,
      ignoreFocusOut: true,
      validateInput: (value) => {
        try {
          parseAnswer(p, value);
          return undefined;
        } catch (e) {
          return errorMessage(e);
        }
      },
    });
    if (text === undefined) return undefined;
    answers[p.name] = parseAnswer(p, text);
  }
  try {
    await writeFile(file.fsPath, serializeParametersFile(answers, prepared.template), 'utf8');
  } catch (e) {
    throw new ParametersProblem(`cannot write ${shown}: ${errorMessage(e)}`, file);
  }
  log.info(`deploy: saved ${missing.length} answer${missing.length === 1 ? '' : 's'} to ${shown}: ${missing.map((p) => p.name).join(', ')}`);
  prepared = prepareDeployment(design, generated, answers);
  return prepared;
}

async function readSaved(file: vscode.Uri, shown: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file.fsPath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ParametersProblem(`cannot read ${shown}: ${errorMessage(e)}`, file);
  }
  const { values, problems } = parseParametersFile(text);
  if (problems.length) throw new ParametersProblem(`${shown}: ${problems.join('; ')}`, file);
  return values;
}
