// The status a merchant sees: what they set (draft, active, paused), refined by the dates.
import type { Schedule, Status, StoredStatus } from "./model.ts";

export function effectiveStatus(status: StoredStatus, schedule: Schedule, now: number): Status {
  if (status !== "active") return status;
  if (schedule.endsAt !== null && now >= schedule.endsAt) return "ended";
  if (schedule.startsAt !== null && now < schedule.startsAt) return "scheduled";
  return "active";
}

/** Live now: active and inside its dates. */
export function isLive(status: StoredStatus, schedule: Schedule, now: number): boolean {
  return effectiveStatus(status, schedule, now) === "active";
}
