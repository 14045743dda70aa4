// `node --import ./mock-setup.js <program>`: every netlink socket the program (and, through NODE_OPTIONS, its child
// processes) opens talks to the my_family mock kernel instead of the real one.
import { myFamilyMock } from './mock-kernel.js';

myFamilyMock().install();
