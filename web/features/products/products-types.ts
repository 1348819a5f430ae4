export interface Product {
  id: string;
  name: string;
  code?: string | null;
  unit: string | null;
  /** Decimal string with two digits ("1280.00"), in the workspace currency. */
  price?: string;
  currency: string;
  categoryId: string | null;
  categoryName: string | null;
  active: boolean;
  description?: string | null;
  custom: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ProductCategory {
  id: string;
  name: string;
  parentId: string | null;
  sort: number;
  productCount: number;
}

export interface ProductInput {
  name?: string;
  code?: string | null;
  unit?: string | null;
  price?: string;
  categoryId?: string | null;
  active?: boolean;
  description?: string | null;
  /** Custom field values by key (only the changed ones on edit); null clears one. */
  custom?: Record<string, string | number | boolean | string[] | null>;
}
