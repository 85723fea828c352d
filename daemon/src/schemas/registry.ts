import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { packageRoot } from '../version.js';

// ajv-formats is CommonJS, so under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** Folder holding the JSON Schemas of every HTTP body and every link message. */
export const schemaDir = path.join(packageRoot, 'schemas');

/**
 * All JSON Schemas of schemas/, compiled once by one Ajv instance. Each file
 * declares an `$id` such as `http/scene-path`; definitions inside a file are
 * reached as `ws/results#/$defs/scene.load`.
 */
export class SchemaRegistry {
  readonly ajv: Ajv;
  readonly schemas = new Map<string, Record<string, unknown>>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(dir: string = schemaDir) {
    this.ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(this.ajv);
    for (const file of listJsonFiles(dir)) {
      const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      if (typeof schema.$id !== 'string') throw new Error(`${file} has no $id`);
      this.schemas.set(schema.$id, schema);
      this.ajv.addSchema(schema);
    }
  }

  /** Returns the compiled validator of a schema id or a `$defs` reference. */
  validator(ref: string): ValidateFunction {
    let validate = this.compiled.get(ref);
    if (!validate) {
      validate = this.ajv.getSchema(ref);
      if (!validate) throw new Error(`unknown schema ${ref}`);
      this.compiled.set(ref, validate);
    }
    return validate;
  }

  /** Whether a `$defs` entry exists, such as a result schema for a method. */
  has(ref: string): boolean {
    const [id, pointer] = ref.split('#');
    const schema = this.schemas.get(id ?? '');
    if (!schema) return false;
    if (!pointer) return true;
    const match = /^\/\$defs\/(.+)$/.exec(pointer);
    const defs = schema.$defs as Record<string, unknown> | undefined;
    return match !== null && defs !== undefined && match[1]! in defs;
  }
}

/** Formats ajv errors as one readable sentence per problem. */
export function describeSchemaErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const where = error.instancePath ? error.instancePath.slice(1).replaceAll('/', '.') : 'body';
    if (error.keyword === 'required') {
      return `${where === 'body' ? '' : `${where}.`}${error.params.missingProperty} is required`;
    }
    if (error.keyword === 'additionalProperties') {
      return `${where} has unknown field "${error.params.additionalProperty}"`;
    }
    if (error.keyword === 'enum') {
      return `${where} must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    }
    return `${where} ${error.message}`;
  });
}

function listJsonFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listJsonFiles(full));
    else if (entry.name.endsWith('.json')) files.push(full);
  }
  return files.sort();
}
