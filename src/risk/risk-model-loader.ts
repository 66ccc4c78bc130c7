import { readFile } from 'node:fs/promises';
import { unreadableFile } from '../cli/file-problem';
import { unwatchFile, watchFile } from 'node:fs';
import { ConfigError } from '../config/config';
import type { Logger } from '../observability/logger';
import type { RiskMode } from './risk-assessment';
import { compileRiskModel } from './risk-model';
import type { RiskModel } from './risk-model';

/** Where the model comes from and how changes are noticed. */
export interface RiskModelLoaderOptions {
  /** Path of the model file (`npm run risk:train` writes one). */
  path: string;
  /**
   * How often the file is checked for a change (ms; `fs.watchFile` polling, which also sees a
   * file replaced by rename, as deploys do). 0 turns watching off: then only `reload()` (an admin
   * call or SIGHUP, wired by the caller) swaps the model. Default 5 000.
   */
  watchIntervalMs?: number;
  /**
   * How the server uses the model (RISK_MODE), said with every "loaded" log line so that a shadow
   * server is not taken for one whose model decides. Default `decide`.
   */
  mode?: RiskMode;
}

export type ReloadResult =
  | { status: 'loaded'; version: string; previousVersion: string | null }
  | { status: 'unchanged'; version: string }
  | { status: 'rejected'; error: string; keptVersion: string | null };

/**
 * Holds the current duplicate-risk model. The file is read at start; afterwards a new file is
 * swapped in without a restart, and a broken or incompatible one is refused while the model in
 * use stays (requests never see a half-read model: the swap is one assignment).
 */
export class RiskModelLoader {
  private model: RiskModel | null = null;
  private reloading: Promise<ReloadResult> | null = null;
  private watching = false;

  constructor(
    private readonly options: RiskModelLoaderOptions,
    private readonly logger: Logger,
  ) {}

  /** The model to score with, or null before a successful load. */
  current(): RiskModel | null {
    return this.model;
  }

  /** Loads the file; throws when it cannot (a misconfigured start should stop), then watches it. */
  async start(): Promise<RiskModel> {
    const result = await this.reload();
    if (result.status === 'rejected')
      throw new ConfigError(
        `Cannot start: RISK_MODEL_PATH: duplicate-risk model ${this.options.path}: ${result.error}`,
      );
    this.watch();
    return this.model!;
  }

  /** Reads the file again and swaps the model if it is valid and new; concurrent calls share one read. */
  reload(): Promise<ReloadResult> {
    this.reloading ??= this.readAndSwap().finally(() => {
      this.reloading = null;
    });
    return this.reloading;
  }

  /** Stops watching the file. */
  stop(): void {
    if (!this.watching) return;
    unwatchFile(this.options.path, this.onFileChange);
    this.watching = false;
  }

  private watch(): void {
    const intervalMs = this.options.watchIntervalMs ?? 5_000;
    if (intervalMs <= 0 || this.watching) return;
    watchFile(this.options.path, { interval: intervalMs, persistent: false }, this.onFileChange);
    this.watching = true;
  }

  private readonly onFileChange = (): void => {
    void this.reload();
  };

  private async readAndSwap(): Promise<ReloadResult> {
    const keptVersion = this.model?.version ?? null;
    const compiled = await readModel(this.options.path);
    if (typeof compiled === 'string') {
      this.logger.error({ path: this.options.path, error: compiled, keptVersion }, 'duplicate-risk model refused');
      return { status: 'rejected', error: compiled, keptVersion };
    }
    if (compiled.version === keptVersion) return { status: 'unchanged', version: keptVersion };
    this.model = compiled;
    this.logger.info(
      {
        path: this.options.path,
        mode: this.options.mode ?? 'decide',
        version: compiled.version,
        previousVersion: keptVersion,
      },
      'duplicate-risk model loaded',
    );
    return { status: 'loaded', version: compiled.version, previousVersion: keptVersion };
  }
}

/** Why a model file cannot be used, as readModelFile tells it; each caller words it its own way. */
export class ModelFileProblem {
  constructor(
    /** The file cannot be read, holds no JSON, or holds JSON that is no model. */
    readonly kind: 'unreadable' | 'not-json' | 'not-a-model',
    /** In words: "no such file", JSON.parse's message, or what the model lacks. */
    readonly message: string,
  ) {}
}

/**
 * Reads and checks a model file: the model, or what is wrong with the file. The one reading of a
 * model file, for the server (readModel) and for the tools' `--model` (scripts/risk-model-option.ts).
 */
export async function readModelFile(path: string): Promise<RiskModel | ModelFileProblem> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    // "no such file", not Node's "ENOENT: no such file or directory, open …"
    return new ModelFileProblem('unreadable', unreadableFile(error));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return new ModelFileProblem('not-json', messageOf(error));
  }
  try {
    const model = compileRiskModel(parsed);
    return typeof model === 'string' ? new ModelFileProblem('not-a-model', model) : model;
  } catch (error) {
    return new ModelFileProblem('not-a-model', messageOf(error));
  }
}

/** Reads and checks a model file; an error message when it is missing, not JSON or not a model. */
export async function readModel(path: string): Promise<RiskModel | string> {
  const read = await readModelFile(path);
  return read instanceof ModelFileProblem ? read.message : read;
}

function messageOf(error: unknown): string {
  // Duck-typed: errors from fs can come from another realm (e.g. a test VM) and fail instanceof.
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
