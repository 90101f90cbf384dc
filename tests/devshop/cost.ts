// Shopify's calculated query cost, computed from the document before it runs: scalars and
// enums cost 0, objects 1, a connection 2 plus its page size times the cost of what is
// selected per node, and a mutation 10.
import {
  getNamedType, isCompositeType, isObjectType, isInterfaceType, Kind,
  type DocumentNode, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLSchema, type SelectionSetNode,
} from "graphql";

export function requestedQueryCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> = {}): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);

  const argValue = (node: import("graphql").ArgumentNode | undefined): unknown => {
    if (!node) return undefined;
    if (node.value.kind === Kind.INT) return Number(node.value.value);
    if (node.value.kind === Kind.VARIABLE) return variables[node.value.name.value];
    return undefined;
  };

  const costOf = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType) : parent;
        total += costOf(selection.selectionSet, on);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment) total += costOf(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType);
        continue;
      }
      if (!(isObjectType(parent) || isInterfaceType(parent))) continue;
      const field = parent.getFields()[selection.name.value];
      if (!field) continue;
      const type = getNamedType(field.type);
      if (!isCompositeType(type) || !selection.selectionSet) continue;
      if (type.name.endsWith("Connection")) {
        const arg = (name: string) => argValue(selection.arguments?.find((a) => a.name.value === name));
        const size = Number(arg("first") ?? arg("last") ?? 1);
        total += 2 + size * costOf(selection.selectionSet, type);
      } else {
        total += 1 + costOf(selection.selectionSet, type);
      }
    }
    return total;
  };

  let total = 0;
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    if (def.operation === "mutation") total += 10;
    const root = def.operation === "mutation" ? schema.getMutationType() : schema.getQueryType();
    if (root) total += costOf(def.selectionSet, root);
  }
  return Math.ceil(total);
}

export interface ThrottleStatus { maximumAvailable: number; currentlyAvailable: number; restoreRate: number }

/**
 * Shopify's leaky bucket, one per shop. The defaults are the demo shop's plan: Shopify Plus
 * limits (1,000 points/s restored, 10,000 held; unconfirmed figures), so a full catalog
 * sync takes seconds; tests pass a small bucket to exercise throttling.
 */
export class CostBucket {
  private available: number;
  private updated = Date.now();
  readonly maximum: number;
  readonly restoreRate: number;
  constructor(maximum = 10_000, restoreRate = 1000) {
    this.maximum = maximum;
    this.restoreRate = restoreRate;
    this.available = maximum;
  }

  private refill(): void {
    const now = Date.now();
    this.available = Math.min(this.maximum, this.available + ((now - this.updated) / 1000) * this.restoreRate);
    this.updated = now;
  }

  /** Takes `cost` if the bucket holds it. */
  take(cost: number): boolean {
    this.refill();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  refund(amount: number): void {
    this.available = Math.min(this.maximum, this.available + amount);
  }

  status(): ThrottleStatus {
    this.refill();
    return { maximumAvailable: this.maximum, currentlyAvailable: Math.floor(this.available), restoreRate: this.restoreRate };
  }
}
