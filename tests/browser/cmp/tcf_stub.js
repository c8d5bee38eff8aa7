// The IAB Tech Lab's own TCF stub, as a CMP puts it first on the page: it defines a queuing
// __tcfapi and the __tcfapiLocator frame, and answers __tcfapiCall messages from child frames.
import installStub from '@iabtechlabtcf/stub';

installStub();
