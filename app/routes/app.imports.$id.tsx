// An offer import's progress and outcome (app/offers/imports.server.ts), polled by the offer lists.
export { offerImportLoader as loader } from "~/admin/offer-pages.server";
