export interface PipelineStage {
  id: string;
  name: string;
  winProbability: number;
  sort: number;
}

export interface Pipeline {
  id: string;
  name: string;
  isDefault: boolean;
  active: boolean;
  sort: number;
  stages: PipelineStage[];
  version: number;
}
