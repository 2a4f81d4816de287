/**
 * Which data files an API client may make FlowLab read. A page (or anything holding the token)
 * names datasets by string, so a path in that string must not be taken as the user's choice:
 * through the API a file dataset is one the user imported (an upload in the browser, the file
 * dialog in Electron), i.e. a file directly inside `<dataDir>/imports/` once every symlink is
 * resolved, or the file of a run already in the store (whose path the user typed into the CLI).
 * The CLI itself is the user's own hand and may name any path; every door still reads only
 * regular files of bounded size (engine/data/safeRead.ts).
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { TOY_DATASETS } from '../api/config.js';
import { isGaussianSpec } from '../api/gaussianSpec.js';
import type { Store } from '../store/index.js';
import { makeFolders } from '../paths.js';
import { IMPORTS_FOLDER } from './datasetFiles.js';

/** Datasets named by a word that the engine knows without reading a file the caller names. */
const NAMED_DATASETS: readonly string[] = [...TOY_DATASETS, 'mnist'];

/** True when the spec names no file: a toy, a built-in set or a Gaussian. */
export function isNamedDataset(spec: string): boolean {
  const s = spec.trim();
  return NAMED_DATASETS.includes(s.toLowerCase()) || isGaussianSpec(s);
}

const notChosen = (spec: string) =>
  new UserError(
    `'${basename(spec.trim())}' is not a file imported into FlowLab; import it first (Choose file in the new-run wizard) and use the path the import returns`,
  );

/**
 * Checks a dataset spec from an API client: a named dataset, an imported file, or the file of a
 * recorded run; anything else is refused with a UserError saying how to make it usable.
 */
export function checkChosenDataset(store: Store, dataDir: string, spec: string): void {
  if (isNamedDataset(spec)) return;
  const path = spec.trim();
  if (store.listRuns({ dataset: path }).length > 0) return;
  const folder = join(dataDir, IMPORTS_FOLDER);
  makeFolders(folder);
  let real: string;
  try {
    real = realpathSync(resolve(folder, path));
  } catch {
    if (dirname(resolve(folder, path)) === resolve(folder)) {
      throw new UserError(`'${basename(path)}' is no longer in FlowLab's imports folder; import the file again`);
    }
    throw notChosen(path);
  }
  if (dirname(real) !== realpathSync(folder)) throw notChosen(path);
}
