import type { OperationReport, RollbackReport } from './batch-types.js';

/** The reason a batch ended. A transactional batch can end before its last operation. */
export type BatchOutcome =
  | { kind: 'completed' }
  | { kind: 'rejected'; indexes: number[] }
  | { kind: 'failed'; report: OperationReport }
  | { kind: 'cancelled'; index: number };

/** Writes the `message` of a batch response: what happened, then the counts. */
export function batchMessage(
  reports: OperationReport[],
  outcome: BatchOutcome,
  rollback?: RollbackReport,
): string {
  const sentences = [outcomeSentence(outcome), countSentence(reports)];
  if (rollback && outcome.kind !== 'completed' && outcome.kind !== 'rejected') {
    sentences.push(rollbackSentence(rollback));
  }
  return sentences.filter((sentence) => sentence !== '').join(' ');
}

function outcomeSentence(outcome: BatchOutcome): string {
  switch (outcome.kind) {
    case 'completed':
      return '';
    case 'rejected':
      return (
        `The batch ran nothing because ${plural(outcome.indexes.length, 'operation')} ` +
        `(${joinWords(outcome.indexes.map(String))}) failed the check.`
      );
    case 'failed': {
      const { index, action, error } = outcome.report;
      return `Operation ${index} (${action}) failed with ${error?.code}, so the batch stopped.`;
    }
    case 'cancelled':
      return `The batch was cancelled before operation ${outcome.index}.`;
  }
}

function countSentence(reports: OperationReport[]): string {
  const total = reports.length;
  const successful = reports.filter((report) => report.success).length;
  const failed = reports.filter((report) => report.status === 'failed').length;
  const notRun = total - successful - failed;
  if (successful === total) {
    return total === 1 ? 'The operation succeeded.' : `All ${total} operations succeeded.`;
  }
  const parts = [`${successful} of ${plural(total, 'operation')} succeeded`];
  if (failed > 0) parts.push(`${failed} failed`);
  if (notRun > 0) parts.push(`${notRun} ${notRun === 1 ? 'was' : 'were'} not run`);
  return `${joinWords(parts)}.`;
}

function rollbackSentence(rollback: RollbackReport): string {
  switch (rollback.status) {
    case 'not_needed':
      return 'No load or reload had succeeded, so there was nothing to roll back.';
    case 'restored':
      return `The batch was rolled back: ${rollback.scene_path} is the current scene again.`;
    case 'failed':
      return (
        `The rollback failed with ${rollback.error?.code}: ${rollback.error?.message} ` +
        'The instance may still show a scene this batch loaded.'
      );
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Joins words as a sentence does: "a", "a and b", "a, b and c". */
function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
