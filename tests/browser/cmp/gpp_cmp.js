// A GPP CMP made of the IAB Tech Lab's own @iabgpp/cmpapi: it takes over the page's queuing
// __gpp (gpp_stub.js) and reports a US national section. The page's `gpp` query parameter says
// what the visitor chose.
import { CmpApi } from '@iabgpp/cmpapi';

const cmpApi = new CmpApi(10, 1);
const NO = 2;
const YES = 1;
const choices = {
  'sale-opt-out': { SaleOptOut: YES, SharingOptOut: NO, TargetedAdvertisingOptOut: NO },
  'targeted-advertising-opt-out': { SaleOptOut: NO, SharingOptOut: NO, TargetedAdvertisingOptOut: YES },
  'gpc-flag': { SaleOptOut: NO, SharingOptOut: NO, TargetedAdvertisingOptOut: NO, GpcSegmentIncluded: true, Gpc: true },
  'no-opt-out': { SaleOptOut: NO, SharingOptOut: NO, TargetedAdvertisingOptOut: NO },
};
const choice = choices[new URLSearchParams(location.search).get('gpp')];
for (const [field, value] of Object.entries(choice)) {
  cmpApi.setFieldValue('usnat', field, value);
}
cmpApi.setApplicableSections([7]);
cmpApi.setSignalStatus('ready');
cmpApi.fireSectionChange('usnat');
