import { offerIndexAction, offerIndexLoader } from "~/admin/offer-pages.server";
import { OfferIndex } from "~/components/offers/OfferIndex";

export const loader = offerIndexLoader("bundle");
export const action = offerIndexAction("bundle");

export default function Bundles() {
  return <OfferIndex />;
}
