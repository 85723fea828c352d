export * from './values.js';
export { ParseError, type ParseErrorCode } from './parse-error.js';
export { type ParseOptions, type Property, type Section } from './document.js';
export { DEFAULT_MAX_DEPTH, MAX_DEPTH_LIMIT } from './value-parser.js';
export { parseTextResource } from './text-resource.js';
export { NEWEST_FORMAT, LEGACY_FORMAT } from './header.js';
export * from './scene-types.js';
export { parseConfigFile, configValue, sectionProperties, type ConfigFile } from './config-file.js';
export {
  readProjectInfo,
  projectInfoFrom,
  type ProjectInfo,
  type AutoloadEntry,
} from './project-info.js';
