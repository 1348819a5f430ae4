import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, withQuery } from "../../app/api";
import type { Product, ProductCategory, ProductInput } from "./products-types";

export const productsQueryKey = ["products"] as const;

export interface ProductListParams {
  q: string;
  categoryId: string | null;
  active: boolean | null;
}

export function useProductsList(params: ProductListParams) {
  return useInfiniteQuery({
    queryKey: [...productsQueryKey, "list", params],
    queryFn: ({ pageParam }) =>
      api.get<{ data: Product[]; nextCursor: string | null; total?: number }>(
        withQuery("/products", {
          q: params.q.trim() || undefined,
          categoryId: params.categoryId ?? undefined,
          active: params.active === null ? undefined : String(params.active),
          limit: 50,
          ...(pageParam ? { cursor: pageParam } : { count: "true" }),
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** One product (GET /products/:id), for its detail view; `id` null = nothing to load. */
export function useProduct(id: string | null) {
  return useQuery({
    queryKey: [...productsQueryKey, "one", id],
    queryFn: () => api.get<Product>(`/products/${id ?? ""}`),
    enabled: id !== null,
  });
}

/** Active products matching a search, for pickers (deal and contract lines). */
export function useProductOptions(q: string) {
  return useQuery({
    queryKey: [...productsQueryKey, "options", q],
    queryFn: () => api.get<{ data: Product[] }>(withQuery("/products", { q: q.trim() || undefined, active: "true", limit: 20 })),
    staleTime: 30_000,
  });
}

export function useCategories() {
  return useQuery({ queryKey: [...productsQueryKey, "categories"], queryFn: () => api.get<{ data: ProductCategory[] }>("/product-categories"), staleTime: 60_000 });
}

function useInvalidate() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: productsQueryKey });
}

export function useSaveProduct() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ product, body }: { product: Product | null; body: ProductInput }) =>
      product ? api.patch<Product>(`/products/${product.id}`, body, { ifMatch: product.version }) : api.post<Product>("/products", body),
    onSuccess: invalidate,
  });
}

export function useDeleteProduct() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (id: string) => api.delete(`/products/${id}`), onSuccess: invalidate });
}

export function useSaveCategory() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, name }: { id: string | null; name: string }) => (id ? api.put<ProductCategory>(`/product-categories/${id}`, { name }) : api.post<ProductCategory>("/product-categories", { name })),
    onSuccess: invalidate,
  });
}

export function useDeleteCategory() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (id: string) => api.delete(`/product-categories/${id}`), onSuccess: invalidate });
}
