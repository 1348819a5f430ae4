import { useUserNames } from "./user-directory";

/** A user's name for an id stored in a custom "user" field. */
export function UserName({ id }: { id: string }) {
  const names = useUserNames([id]);
  return <>{names.get(id) ?? "—"}</>;
}
