import { z } from 'zod';
import { ColumnTemplate } from './column-template';

/**
 * How the rows of a catalogue CSV become items. Plain JSON, so it travels in job payloads;
 * build one with {@link parseCatalogMapping}, which applies the defaults and checks templates.
 */
export interface CatalogMapping {
  /** Column holding the item id. Default `"id"` when no `idTemplate` is given. */
  idColumn?: string;
  /** Builds the id from columns, e.g. `"{collection_changed}{Serial No.}"`. Excludes `idColumn`. */
  idTemplate?: string;
  /** Column holding the image path inside the ZIP. Default `"image"` when no `imageTemplate` is given. */
  imageColumn?: string;
  /** Builds the image path from columns, e.g. `"{collection_changed}{Serial No.}.jpg"`. Excludes `imageColumn`. */
  imageTemplate?: string;
  /**
   * Columns stored as metadata, and only these. Default: every column except those used as
   * `idColumn` or `imageColumn`; columns read by templates stay metadata (the Flask app stored them).
   */
  metadataColumns?: string[];
  /** Folder inside the ZIP that image paths are relative to, e.g. `"Fall24"`. Default: the ZIP root. */
  imageFolder?: string;
}

const DEFAULT_ID_COLUMN = 'id';
const DEFAULT_IMAGE_COLUMN = 'image';

/** The mapping used when an upload gives none: columns `id` and `image`, everything else metadata. */
export const DEFAULT_CATALOG_MAPPING: Readonly<CatalogMapping> = Object.freeze({
  idColumn: DEFAULT_ID_COLUMN,
  imageColumn: DEFAULT_IMAGE_COLUMN,
});

/** Thrown by {@link parseCatalogMapping}; `problems` names each bad field. */
export class CatalogMappingError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid mapping:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'CatalogMappingError';
  }
}

const columnName = z.string().trim().min(1, 'must name a column');
const template = z
  .string()
  .trim()
  .superRefine((value, context) => {
    try {
      ColumnTemplate.parse(value);
    } catch (error) {
      context.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
    }
  });

const mappingSchema = z
  .object({
    idColumn: columnName.optional(),
    idTemplate: template.optional(),
    imageColumn: columnName.optional(),
    imageTemplate: template.optional(),
    metadataColumns: z
      .array(columnName)
      .refine((names) => new Set(names).size === names.length, 'lists a column twice')
      .optional(),
    imageFolder: z.string().optional(),
  })
  .strict();

const MAPPING_FIELDS = Object.keys(mappingSchema.shape);

/**
 * Validates a mapping given as an object, a JSON string (a multipart field), or nothing
 * (the default mapping). Returns it with defaults applied and names trimmed.
 * @throws CatalogMappingError naming every bad field.
 */
export function parseCatalogMapping(input?: unknown): CatalogMapping {
  const value = typeof input === 'string' ? parseJson(input) : input;
  if (value === undefined || value === null) return { ...DEFAULT_CATALOG_MAPPING };
  const result = mappingSchema.safeParse(value);
  if (!result.success) throw new CatalogMappingError(result.error.issues.map(describeIssue));
  const parsed = result.data;
  const problems: string[] = [];
  if (parsed.idColumn !== undefined && parsed.idTemplate !== undefined) {
    problems.push('mapping: give either idColumn or idTemplate, not both');
  }
  if (parsed.imageColumn !== undefined && parsed.imageTemplate !== undefined) {
    problems.push('mapping: give either imageColumn or imageTemplate, not both');
  }
  const imageFolder = normalizeFolder(parsed.imageFolder, problems);
  if (problems.length > 0) throw new CatalogMappingError(problems);

  const mapping: CatalogMapping = {};
  if (parsed.idTemplate !== undefined) mapping.idTemplate = parsed.idTemplate;
  else mapping.idColumn = parsed.idColumn ?? DEFAULT_ID_COLUMN;
  if (parsed.imageTemplate !== undefined) mapping.imageTemplate = parsed.imageTemplate;
  else mapping.imageColumn = parsed.imageColumn ?? DEFAULT_IMAGE_COLUMN;
  if (parsed.metadataColumns !== undefined) mapping.metadataColumns = parsed.metadataColumns;
  if (imageFolder !== undefined) mapping.imageFolder = imageFolder;
  return mapping;
}

/** Where an item's id or image path comes from. */
export type ValueSource =
  { kind: 'column'; column: string } | { kind: 'template'; template: ColumnTemplate };

/** A mapping with its templates parsed, ready to apply to rows. */
export interface CompiledMapping {
  id: ValueSource;
  image: ValueSource;
  metadataColumns?: readonly string[];
  imageFolder?: string;
}

/** Parses the templates of a mapping that {@link parseCatalogMapping} produced. */
export function compileMapping(mapping: CatalogMapping): CompiledMapping {
  return {
    id: valueSource(mapping.idTemplate, mapping.idColumn ?? DEFAULT_ID_COLUMN),
    image: valueSource(mapping.imageTemplate, mapping.imageColumn ?? DEFAULT_IMAGE_COLUMN),
    metadataColumns: mapping.metadataColumns,
    imageFolder: mapping.imageFolder,
  };
}

/** The columns a CSV header must have for this mapping, without repeats, in mapping order. */
export function requiredColumns(mapping: CatalogMapping): string[] {
  const compiled = compileMapping(mapping);
  const columns = [
    ...sourceColumns(compiled.id),
    ...sourceColumns(compiled.image),
    ...(compiled.metadataColumns ?? []),
  ];
  return [...new Set(columns)];
}

/**
 * The required columns this header lacks (empty when it fits the mapping). Header cells are
 * compared trimmed, as the reader keys metadata by trimmed headers.
 */
export function validateHeader(header: readonly string[], mapping: CatalogMapping): string[] {
  const present = new Set(header.map((cell) => cell.trim()));
  return requiredColumns(mapping).filter((column) => !present.has(column));
}

function valueSource(templateSource: string | undefined, column: string): ValueSource {
  if (templateSource === undefined) return { kind: 'column', column };
  return { kind: 'template', template: ColumnTemplate.parse(templateSource) };
}

function sourceColumns(source: ValueSource): string[] {
  return source.kind === 'column' ? [source.column] : source.template.columns;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CatalogMappingError([`mapping: is not valid JSON (${(error as Error).message})`]);
  }
}

function normalizeFolder(folder: string | undefined, problems: string[]): string | undefined {
  if (folder === undefined) return undefined;
  const segments = folder
    .trim()
    .replace(/\\/g, '/')
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) {
    problems.push(
      `mapping.imageFolder: must stay inside the archive, ".." is not allowed (got "${folder}")`,
    );
    return undefined;
  }
  return segments.length > 0 ? segments.join('/') : undefined;
}

function describeIssue(issue: z.ZodIssue): string {
  if (issue.code === z.ZodIssueCode.unrecognized_keys) {
    const unknown = issue.keys.map((key) => `"${key}"`).join(', ');
    return `mapping: unknown field ${unknown}; the fields are ${MAPPING_FIELDS.join(', ')}`;
  }
  const path = ['mapping', ...issue.path].join('.');
  return `${path}: ${issue.message}`;
}
