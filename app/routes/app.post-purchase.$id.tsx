import { useParams } from "@remix-run/react";
import { offerEditorAction, offerEditorLoader } from "~/admin/offer-pages.server";
import { OfferEditor } from "~/components/offers/OfferEditor";

export const loader = offerEditorLoader("funnel");
export const action = offerEditorAction("funnel");

export default function PostPurchaseEditor() {
  // A fresh form for each offer, so nothing typed for one carries over to the next.
  return <OfferEditor key={useParams().id} />;
}
