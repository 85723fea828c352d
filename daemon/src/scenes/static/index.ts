export {
  validateScene,
  validateScenes,
  type ValidateOptions,
  type SceneValidationResult,
} from './validate-scene.js';
export { SceneCache, type SceneCacheOptions, type ParseOutcome } from './scene-cache.js';
export { listScenes, listProjectFiles, isScenePath } from './project-files.js';
export {
  FINDING_SEVERITY,
  severityOf,
  type Finding,
  type FindingCode,
  type Severity,
} from './findings.js';
export { resPathToDisk, ResourcePathError } from './project-paths.js';
export { UidIndex, uidTextToId } from './uid-index.js';
