import { offerIndexAction, offerIndexLoader } from "~/admin/offer-pages.server";
import { OfferIndex } from "~/components/offers/OfferIndex";

export const loader = offerIndexLoader("funnel");
export const action = offerIndexAction("funnel");

export default function PostPurchase() {
  return <OfferIndex />;
}
