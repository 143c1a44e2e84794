// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

/// A counter with an event, a revert, an unbounded loop and a storage clear: contract creation,
/// calls, logs, revert, out of gas and the SSTORE refund of the execution vectors.
contract Counter {
    uint256 public count;
    mapping(address => uint256) public byCaller;

    event Incremented(address indexed who, uint256 newCount);

    function increment() external {
        count += 1;
        byCaller[msg.sender] += 1;
        emit Incremented(msg.sender, count);
    }

    function fail() external pure {
        revert("nope");
    }

    function burn() external view returns (uint256 x) {
        while (true) {
            x += gasleft();
        }
    }

    function clear() external {
        count = 0;
    }

    function chainId() external view returns (uint256) {
        return block.chainid;
    }

    receive() external payable {}
}
