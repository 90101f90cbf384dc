import { offerIndexAction, offerIndexLoader } from "~/admin/offer-pages.server";
import { OfferIndex } from "~/components/offers/OfferIndex";

export const loader = offerIndexLoader("upgrade");
export const action = offerIndexAction("upgrade");

export default function Upgrades() {
  return <OfferIndex />;
}
