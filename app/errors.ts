/**
 * The messages of an error and of its causes, outermost first. Drivers and fetch nest the
 * useful reason in `cause`, so a message for a person has to look there.
 */
export function errorMessages(error: unknown, maxDepth = 4): string[] {
  const messages: string[] = [];
  let current = error as { message?: unknown; cause?: unknown } | null | undefined;
  for (let depth = 0; current && depth < maxDepth; depth++) {
    if (typeof current.message === "string" && current.message.trim()) messages.push(current.message);
    current = current.cause as typeof current;
  }
  return messages;
}
