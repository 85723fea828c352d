import type { JobRecord } from '../store/job-store.js';

/** A job as the HTTP API returns it; times are Unix seconds, null until they happen. */
export interface JobView {
  id: string;
  type: string;
  status: JobRecord['status'];
  progress: number;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  result: unknown;
  error: JobRecord['error'];
  parameters: Record<string, unknown>;
}

export function describeJob(job: JobRecord): JobView {
  return {
    id: job.id,
    type: job.type,
    status: job.status,
    progress: job.progress,
    created_at: toSeconds(job.createdAt),
    started_at: job.startedAt === null ? null : toSeconds(job.startedAt),
    completed_at: job.completedAt === null ? null : toSeconds(job.completedAt),
    result: job.result,
    error: job.error,
    parameters: job.parameters,
  };
}

/**
 * Builds the data of a job.* event: the job without its parameters, and with its
 * result only when it completed, so that events stay small.
 */
export function jobEventData(job: JobRecord): Record<string, unknown> {
  const data: Record<string, unknown> = {
    id: job.id,
    type: job.type,
    status: job.status,
    progress: job.progress,
    error: job.error,
  };
  if (job.status === 'completed') data.result = job.result;
  return data;
}

function toSeconds(milliseconds: number): number {
  return Math.floor(milliseconds / 1000);
}
