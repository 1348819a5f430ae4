import { useQuery } from "@tanstack/react-query";
import { api } from "../../app/api";

export interface TodoItem {
  key: string;
  labelKey: string;
  count: number;
  /** False when the count stopped at its cap: there are at least `count` ("1,000+"). */
  countExact?: boolean;
  /** Web path of the list behind the count. */
  link: string;
}

export const todoQueryKey = ["todo"] as const;

/** 待办 counts; kept fresh while the home page is open and whenever the window regains focus. */
export function useTodo() {
  return useQuery({
    queryKey: todoQueryKey,
    queryFn: () => api.get<{ data: TodoItem[]; today: string }>("/todo"),
    refetchInterval: 60_000,
    refetchOnWindowFocus: true,
  });
}
