import { z } from 'zod';
import { idSchema, textSchema } from '../../http/schemas';

export const stageSchema = z.object({
  id: z.string(),
  name: z.string(),
  winProbability: z.number().int(),
  sort: z.number().int(),
});

export const pipelineSchema = z.object({
  id: z.string(),
  name: z.string(),
  isDefault: z.boolean(),
  active: z.boolean(),
  sort: z.number().int(),
  stages: z.array(stageSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Pipeline = z.infer<typeof pipelineSchema>;

const stageInput = z.strictObject({
  /** An existing stage keeps its deals and history; without an id a stage is added. */
  id: idSchema.optional(),
  name: textSchema(64),
  winProbability: z.number().int().min(0).max(100),
});

const stagesInput = z
  .array(stageInput)
  .min(1)
  .max(30)
  .refine((list) => new Set(list.map((s) => s.name)).size === list.length, 'stage names must differ')
  .refine((list) => {
    const ids = list.map((s) => s.id).filter((id) => id !== undefined);
    return new Set(ids).size === ids.length;
  }, 'a stage appears twice');

export const createPipelineBody = z.strictObject({
  name: textSchema(100),
  isDefault: z.boolean().optional(),
  stages: stagesInput,
});

export const updatePipelineBody = z
  .strictObject({
    name: textSchema(100).optional(),
    isDefault: z.literal(true).optional(),
    active: z.boolean().optional(),
    sort: z.number().int().min(0).max(10_000).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');

/** The ordered stages of a pipeline: listed ones are kept/added in this order, others removed. */
export const replaceStagesBody = z.strictObject({ stages: stagesInput });
