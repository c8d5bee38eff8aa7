// A TCF v2.2 CMP made of the IAB Tech Lab's own packages: CmpApi answers __tcfapi (taking over
// the stub's queue), TC strings come from the reference encoder against vendor-list.json.
// The page's `cmp` query parameter says what the visitor chose; window.testCmp lets a test
// change it during the visit.
import { CmpApi } from '@iabtechlabtcf/cmpapi';
import { GVL, TCModel, TCString } from '@iabtechlabtcf/core';
import vendorList from './vendor-list.json';

const CMP_ID = 10;
const CMP_VERSION = 1;
const gvl = new GVL(vendorList);
const cmpApi = new CmpApi(CMP_ID, CMP_VERSION, false);

function tcString(purposes, publisherPurposes) {
  const model = new TCModel(gvl);
  model.cmpId = CMP_ID;
  model.cmpVersion = CMP_VERSION;
  model.purposeConsents.set(purposes);
  model.publisherConsents.set(publisherPurposes);
  model.vendorConsents.set(Object.keys(vendorList.vendors).map(Number));
  return TCString.encode(model);
}

window.testCmp = {
  showUi: () => cmpApi.update('', true),
  choose: (purposes, publisherPurposes = []) => cmpApi.update(tcString(purposes, publisherPurposes), false),
  gdprDoesNotApply: () => cmpApi.update(null),
};

const scenarios = {
  grant: () => window.testCmp.choose([1, 8]),
  'grant-as-publisher': () => window.testCmp.choose([], [1, 8]),
  refuse: () => window.testCmp.choose([1]),
  'gdpr-off': () => window.testCmp.gdprDoesNotApply(),
  ui: () => window.testCmp.showUi(),
  silent: () => {},
};
scenarios[new URLSearchParams(location.search).get('cmp')]();
