import { Router, type Request } from 'express';
import type { GodotInstance } from '../../godot/instance.js';
import { checkAllowedScenePath } from '../../scenes/scene-path.js';
import type { ValidationMode } from '../../scenes/scene-service.js';
import type { AppContext } from '../context.js';
import { validateBody } from '../middleware/body.js';
import { instanceParam } from '../query.js';

/** GET /scene and the scene commands under POST /scene/... */
export function sceneRoutes(context: AppContext): Router {
  const router = Router();
  const { scenes, schemas, allowList } = context;
  const target = (req: Request): GodotInstance => context.registry.resolve(instanceParam(req));

  router.get('/scene', async (req, res) => {
    const instance = target(req);
    const scene = await instance.exclusive(() => scenes.info(instance));
    res.json({ success: true, instance: instance.id, scene });
  });

  router.post('/scene/load', validateBody(schemas, 'http/scene-path'), async (req, res) => {
    const scenePath = checkAllowedScenePath(req.body.scene_path, allowList);
    const instance = target(req);
    const result = await instance.exclusive(() => scenes.load(instance, scenePath));
    res.json({ success: true, instance: instance.id, ...result });
  });

  router.post('/scene/reload', validateBody(schemas, 'http/empty'), async (req, res) => {
    const instance = target(req);
    const result = await instance.exclusive(() => scenes.reload(instance));
    res.json({ success: true, instance: instance.id, ...result });
  });

  router.post('/scene/validate', validateBody(schemas, 'http/scene-validate'), async (req, res) => {
    const scenePath = checkAllowedScenePath(req.body.scene_path, allowList);
    const mode = req.body.mode as ValidationMode | undefined;
    const needs = scenes.needsInstance(mode);
    const instance =
      needs === 'required'
        ? target(req)
        : needs === 'optional'
          ? scenes.optionalInstance(instanceParam(req))
          : undefined;
    const run = () => scenes.validate(scenePath, { mode, instance });
    const result = instance ? await instance.exclusive(run) : await run();
    res.json({ success: true, ...result });
  });

  return router;
}
