import { Router, type Request, type RequestHandler, type Response } from 'express';
import { BridgeError } from '../../errors/catalogue.js';
import type { JobService } from '../../jobs/job-service.js';
import { describeJob } from '../../jobs/job-view.js';
import { jobStatuses, type JobListFilter, type JobStatus } from '../../store/job-store.js';
import type { AppContext } from '../context.js';
import { validateBody } from '../middleware/body.js';
import { badQuery, instanceParam, integerQuery, queryString } from '../query.js';

/** Largest page GET /jobs returns. */
const maxListLimit = 100;
const defaultListLimit = 20;
/** Job data changes while a client polls: caches must revalidate with the ETag each time. */
const noCache = 'private, no-cache';

/** POST /jobs, GET /jobs, GET /jobs/:id and DELETE /jobs/:id. */
export function jobRoutes(context: AppContext): Router {
  const router = Router();
  const jobs = context.jobs;

  // A batch submitted as a job counts against the batch rate limit, as POST /batch does.
  const batchLimit: RequestHandler = (req, res, next) => {
    if (req.body?.type !== 'batch_operations') return next();
    return context.batchRateLimit(req, res, next);
  };

  router.post('/jobs', batchLimit, validateBody(context.schemas, 'http/job-submit'), (req, res) => {
    const idempotencyKey = readIdempotencyKey(req);
    const parameters = withInstance(req.body.parameters as Record<string, unknown>, req);
    const submitted = jobs.submit({ type: req.body.type as string, parameters, idempotencyKey });
    res.setHeader('Location', `/jobs/${submitted.job.id}`);
    res.setHeader('Retry-After', String(submitted.pollIntervalSeconds));
    if (submitted.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(submitted.replayed ? 200 : 202).json({
      success: true,
      job: describeJob(submitted.job),
    });
  });

  router.get('/jobs', (req, res) => {
    const filter = readListFilter(req, jobs);
    const { jobs: page, total } = jobs.list(filter);
    res.setHeader('Cache-Control', noCache);
    res.json({
      success: true,
      jobs: page.map(describeJob),
      total,
      limit: filter.limit,
      offset: filter.offset,
    });
  });

  router.get('/jobs/:id', (req, res) => {
    const job = jobs.get(req.params.id);
    res.setHeader('Cache-Control', noCache);
    if (job.status === 'queued' || job.status === 'running') res.setHeader('Retry-After', '1');
    // A finished job never changes again, so its end time is its modification time.
    if (job.completedAt !== null) res.locals.lastModified = new Date(job.completedAt);
    res.json({ success: true, job: describeJob(job) });
  });

  router.delete('/jobs/:id', async (req, res: Response) => {
    const { job, finished } = await jobs.cancel(req.params.id);
    // 202: the running job was aborted and has not reached its next step yet.
    if (!finished) res.setHeader('Retry-After', '1');
    res.status(finished ? 200 : 202).json({ success: true, job: describeJob(job) });
  });

  return router;
}

/**
 * Reads `Idempotency-Key`: 1 to 255 visible ASCII characters, as the IETF
 * draft for the header suggests for opaque keys.
 */
function readIdempotencyKey(req: Request): string | undefined {
  const key = req.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new BridgeError(
      'VALIDATION_FAILED',
      `Idempotency-Key ${JSON.stringify(key)} is invalid: send one value of 1 to 255 visible ` +
        'ASCII characters, such as a UUID.',
      { details: { field: 'Idempotency-Key' } },
    );
  }
  return key;
}

/** Adds `?instance=` to the parameters, unless they name a different instance. */
function withInstance(parameters: Record<string, unknown>, req: Request): Record<string, unknown> {
  const fromQuery = instanceParam(req);
  if (fromQuery === undefined || fromQuery === '') return parameters;
  if (parameters.instance !== undefined && parameters.instance !== fromQuery) {
    throw new BridgeError(
      'VALIDATION_FAILED',
      `?instance=${fromQuery} and parameters.instance ${JSON.stringify(parameters.instance)} ` +
        'name different instances; give the instance in one place only.',
      { details: { field: 'instance' } },
    );
  }
  return { ...parameters, instance: fromQuery };
}

function readListFilter(req: Request, jobs: JobService): JobListFilter {
  const filter: JobListFilter = {
    limit: integerQuery(req, 'limit', defaultListLimit, 1, maxListLimit),
    offset: integerQuery(req, 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
  };
  const status = queryString(req, 'status');
  if (status !== undefined) {
    if (!(jobStatuses as readonly string[]).includes(status)) {
      throw badQuery('status', status, `one of ${jobStatuses.join(', ')}`);
    }
    filter.status = status as JobStatus;
  }
  const type = queryString(req, 'type');
  if (type !== undefined) {
    if (!jobs.types.includes(type)) throw badQuery('type', type, `one of ${jobs.types.join(', ')}`);
    filter.type = type;
  }
  return filter;
}
