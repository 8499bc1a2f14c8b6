import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { parse } from 'yaml';
import { type ContractOperation, loadContract } from '../../contract/operations.js';
import { type RequestChecker, buildRequestCheckers } from './validation.js';

/** What the server takes from openapi.yaml at run time: swapped whole when `--watch` sees a change. */
export interface LoadedContract {
  readonly operations: readonly ContractOperation[];
  /** Request checkers by operationId. */
  readonly checkers: ReadonlyMap<string, RequestChecker>;
  /** The statuses each operation declares, by operationId ("4XX" and "default" are left out). */
  readonly statuses: ReadonlyMap<string, readonly number[]>;
}

/** Reads and compiles the contract; throws (with the reason) when the file cannot be read, parsed or compiled. */
export function loadLiveContract(specPath: string): LoadedContract {
  const document = parse(readFileSync(specPath, 'utf8')) as Record<string, unknown>;
  const operations = loadContract(specPath);
  const statuses = new Map(
    operations.map((operation) => [
      operation.operationId,
      Object.keys(operation.responses)
        .filter((status) => /^\d{3}$/.test(status))
        .map(Number),
    ]),
  );
  return { operations, checkers: buildRequestCheckers(document), statuses };
}

export interface ContractWatcher {
  /** How many times the contract was reloaded since the start. */
  readonly reloads: number;
  close(): void;
}

const debounceMs = 100;

/**
 * Watches the spec file and calls `onLoad` with the new contract after each change (debounced:
 * an editor's save is several events). It watches the folder, not the file, because editors
 * often save by writing a new file and renaming it over the old one. A file that does not
 * load is reported and the previous contract stays.
 */
export function watchContract(
  specPath: string,
  onLoad: (contract: LoadedContract) => void,
  report: (line: string) => void,
): ContractWatcher {
  let timer: NodeJS.Timeout | undefined;
  let reloads = 0;
  const reload = (): void => {
    let contract: LoadedContract;
    try {
      contract = loadLiveContract(specPath);
    } catch (error) {
      report(`${specPath} changed but cannot be used, keeping the previous contract: ${(error as Error).message}`);
      return;
    }
    onLoad(contract);
    reloads++;
    report(`reloaded ${specPath}: ${contract.operations.length} operations`);
  };
  const name = basename(specPath);
  const watcher: FSWatcher = watch(dirname(specPath), (_event, file) => {
    if (file !== null && file !== name) return;
    clearTimeout(timer);
    timer = setTimeout(reload, debounceMs);
  });
  return {
    get reloads() {
      return reloads;
    },
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}

/**
 * The contract after a reload. The routes were made at the start and stay: a new operation
 * has no handler (reported, its path answers 404), and an operation gone from the file keeps
 * its previous checks (reported) so its route still works.
 */
export function adoptContract(current: LoadedContract, next: LoadedContract, report: (line: string) => void): LoadedContract {
  const routed = new Set(current.operations.map((operation) => operation.operationId));
  for (const operation of next.operations) {
    if (!routed.has(operation.operationId)) {
      report(`${operation.operationId} (${operation.method} ${operation.path}) is new in the spec; the stateful mock does not implement it`);
    }
  }
  const kept = new Set(next.operations.map((operation) => operation.operationId));
  for (const operationId of routed) {
    if (!kept.has(operationId)) report(`${operationId} is gone from the spec; it keeps its previous request checks until a restart`);
  }
  return {
    operations: current.operations,
    checkers: new Map([...current.checkers, ...next.checkers]),
    statuses: new Map([...current.statuses, ...next.statuses]),
  };
}
